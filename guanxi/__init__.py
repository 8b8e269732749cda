"""Guanxi (关系): a self-hosted, multi-tenant CRM."""
