"""Legacy Keras model files (``.h5`` saved by Keras 1.x/2.x) converted for TF 2.21 / Keras 3.

The conversion reads HDF5 with h5py and writes the Keras 3 formats itself: it imports neither
TensorFlow nor Keras (``kmigrate.models.weights``, which takes a live model, is the exception and
is never imported by the codemod).  Entry points: ``kmigrate.models.convert.convert_model_file``
and the ``kmigrate convert-model`` command (``kmigrate.models.cli``).  See docs/models.md.
"""

MISSING_DEPENDENCIES_HELP = (
    "kmigrate convert-model needs h5py and numpy: pip install 'kmigrate[models]' "
    "(or: pip install 'h5py>=3.10,<4' 'numpy>=1.23,<3')"
)
