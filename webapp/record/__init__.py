"""Logic of the citizen's record that is not a request: categories, file checks, measurement
types, server-side charts and the PDF summary."""
