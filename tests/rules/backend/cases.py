"""Cases and helpers shared by the backend family's test modules."""

from __future__ import annotations

HEAD = "from keras import backend as K\n"


NEW_HEAD = "from tensorflow.keras import backend as K\n"
