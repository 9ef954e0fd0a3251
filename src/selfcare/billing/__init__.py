"""selfcare.billing: see the package documentation."""
