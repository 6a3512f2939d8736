"""The API's routers: decisions and the record, batch audit jobs, API keys, health."""
