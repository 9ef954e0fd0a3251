"""What the SQL engines (:mod:`selfcare.adapters.sqlite`, :mod:`selfcare.adapters.postgres`)
share: tables of JSON documents (:class:`SqlTable`) and the repositories of every port,
written once against :class:`SqlEngine`. Each engine adds its schema (migrations), its
connections, its error translation and its unit of work."""
