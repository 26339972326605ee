"""Backend table entries: dimension ordering and the legacy weight ordering.

What the fields and kinds mean: ``kmigrate.rules.backend_table.entry``.
"""

from __future__ import annotations

from kmigrate.rules.backend_table.entry import REMOVE, SPECIAL, Entry

ENTRIES: tuple[Entry, ...] = (
    Entry("image_dim_ordering", SPECIAL, "image_data_format",
          "`K.image_dim_ordering()` -> `K.image_data_format()` with 'th'/'tf' mapped to "
          "'channels_first'/'channels_last'",
          before=(
              "from keras import backend as K\n"
              "\n"
              "if K.image_dim_ordering() == 'th':\n"
              "    input_shape = (3, 32, 32)\n"
              "else:\n"
              "    input_shape = (32, 32, 3)\n"
              "ordering = K.image_dim_ordering()"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "if K.image_data_format() == 'channels_first':\n"
              "    input_shape = (3, 32, 32)\n"
              "else:\n"
              "    input_shape = (32, 32, 3)\n"
              "ordering = ('th' if K.image_data_format() == 'channels_first' else 'tf')"
          ),
          note="Keras 2 computed image_dim_ordering from image_data_format exactly this way; "
          "compared literals are mapped, other uses keep their 'th'/'tf' value."),
    Entry("legacy_weight_ordering", SPECIAL, "False",
          "`K.legacy_weight_ordering()` -> `False` (Keras 1 default)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "if K.legacy_weight_ordering():\n"
              "    print('Theano weight ordering')"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "if False:\n"
              "    print('Theano weight ordering')"
          ),
          note="Only set_legacy_weight_ordering(True) made it true; that call is marked."),
    Entry("normalize_data_format", SPECIAL, "",
          "`K.normalize_data_format(value)` is gone: use `(value or K.image_data_format()).lower()`",
          params=("value",),
          before=(
              "from keras import backend as K\n"
              "\n"
              "data_format = K.normalize_data_format(None)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "data_format = K.image_data_format()"
          ),
          note="Literal arguments are resolved (None -> K.image_data_format()); others are marked."),
    Entry("set_image_dim_ordering", SPECIAL, "set_image_data_format",
          "`K.set_image_dim_ordering(...)` -> `K.set_image_data_format(...)` with 'th'/'tf' mapped",
          params=("dim_ordering",),
          before=(
              "from keras import backend as K\n"
              "\n"
              "K.set_image_dim_ordering('th')"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "K.set_image_data_format('channels_first')"
          ),
          note="Keras 2 set image_data_format from the ordering exactly this way; a non-literal "
          "value is mapped through a dict (an unknown value still raises)."),
    Entry("set_legacy_weight_ordering", REMOVE, "",
          "removed `K.set_legacy_weight_ordering(...)` (Keras 1 pre-1.0 weight files only)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "K.set_legacy_weight_ordering(False)\n"
              "print(K.image_data_format())"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "print(K.image_data_format())"
          ),
          note="Only affected loading pre-Keras-1.0 weight files."),
)
