"""Reports built from the warehouse: the program evaluation and the district midpoint review."""
