"""The policy as data: schemas, loaders and pure functions over the content files.

Nothing here imports `bot` or `api`; both of them import this package.
"""
