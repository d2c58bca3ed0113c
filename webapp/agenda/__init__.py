"""The health agenda: appointments and reminders, the prevention calendar, calendar files."""
