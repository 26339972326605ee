"""Cases and helpers shared by the training family's test modules."""



HEAD = "from keras.models import Sequential\nmodel = Sequential()\n"


NEW = "from tensorflow.keras.models import Sequential\nmodel = Sequential()\n"
