"""All SQL of the project: the connection, migrations and one module per aggregate."""
