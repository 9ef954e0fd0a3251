"""Test support for integrators: hypothesis strategies and contract test suites.

Needs the ``testing`` extra (``pip install selfcare[testing]``): hypothesis and pytest.
"""
