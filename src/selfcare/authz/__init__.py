"""selfcare.authz: see the package documentation."""
