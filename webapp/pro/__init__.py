"""Health professionals: their professions and specialties, the patients they follow."""
