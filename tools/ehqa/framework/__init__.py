"""The framework as data: rules R1–R22 (``framework.rules``) and every check id mapped to the R it enforces."""
