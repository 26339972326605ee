"""Verification harness for kmigrate (`kmigrate verify`).

Separate from the codemod: nothing in kmigrate/*.py or kmigrate/rules imports
this package.  It runs each legacy fixture under genuine multi-backend Keras
and kmigrate's migrated copy under TF 2.21, and compares.  See
docs/verification.md.
"""
