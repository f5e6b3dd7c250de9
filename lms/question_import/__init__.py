"""Question import: GIFT and Moodle XML files become draft item files in our own format
(``flask lms import-questions``), with a report of what could not be taken over."""
