"""selfcare.catalog: see the package documentation."""
