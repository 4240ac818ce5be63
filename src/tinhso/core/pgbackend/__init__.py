"""PostgreSQL as Django's own backend, with a health check that costs no round trip
(:mod:`tinhso.core.pgbackend.base`). ``settings.DATABASES`` names it for a postgres:// URL."""
