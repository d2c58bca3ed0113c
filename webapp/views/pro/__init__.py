"""A health professional's pages: their patients, a patient's record as their profession
may see it, deposits and proposals, messages, and the admins' pages for their accounts."""
