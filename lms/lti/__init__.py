"""LTI 1.3 Advantage tool: CX Academy's modules, quizzes and role-plays launched from another
LMS (Moodle, Canvas, Open edX), with deep linking, grades sent back (AGS) and rosters (NRPS).
The protocol work is pylti1p3next's; this package keeps its state in our database."""
