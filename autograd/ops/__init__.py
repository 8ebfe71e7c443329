"""The built-in operations, one `Op` each (a `Function` whose backward also works on Tensors):
forward and its local derivative side by side."""
