z = w*x + b
a = relu(z)   # the gate
L = (y - a)^2
