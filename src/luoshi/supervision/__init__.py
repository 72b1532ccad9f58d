"""督查督办: 督办单 (orders), the monthly 通报 (bulletin), 考核打分 (scoring) and group-robot
webhooks. Modules are imported by name (``luoshi.supervision.orders`` ...); nothing here is
imported by the extraction core."""

__all__: list[str] = []
