"""Database backends of rawan (Django ``ENGINE`` values)."""
