"""Recruitment pages: managing vacancies (manage), the panel's blind view (panel), the public jobs
pages and the candidate's own links (public), and the reports (reports)."""
