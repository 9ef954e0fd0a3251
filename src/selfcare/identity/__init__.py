"""selfcare.identity: see the package documentation."""
