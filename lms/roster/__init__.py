"""People import from the HR system's export (CSV or XLSX): read the file, plan what it would
change, apply the plan in one transaction; as pages (/admin/import) and ``flask lms people import``."""
