"""Cases and helpers shared by the optimizers family's test modules."""



IMPORT = "from keras.optimizers import SGD, Adam, RMSprop, Adagrad, Adadelta, Nadam\n"
