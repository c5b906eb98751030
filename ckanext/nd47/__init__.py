"""ckanext-nd47: a Vietnamese government open-data portal on CKAN."""
