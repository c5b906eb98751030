"""Plugin ``nd47_feedback``: feedback on datasets and requests for new data."""
