"""Running a site's people: the admin pages for people, teams and sites, and the rules they
share with the HR import (lms/roster)."""
