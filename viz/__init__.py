"""Pictures of the computation graph and of backprop, built on autograd."""
