"""The built-in operations, one `Function` subclass each: forward and its local derivative side by side."""
