"""KM619: batch-level callback logs hold the epoch's running mean in Keras 3."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_unchanged, run


def _km619(code: str) -> list[int]:
    return [d.line for d in run(code).diagnostics if d.rule == "KM619"]


def test_km619_noop_not_a_keras_callback():
    assert_unchanged(
        """
        class Recorder(object):
            def on_batch_end(self, batch, logs={}):
                print(logs['loss'])
        """
    )


def test_km619_noop_epoch_logs_and_begin_hooks_reading_metrics():
    code = """
        from keras.callbacks import Callback


        class History(Callback):
            def on_epoch_end(self, epoch, logs=None):
                print(logs['loss'])

            def on_batch_begin(self, batch, logs=None):
                print(logs.get('loss'))
        """
    assert _km619(code) == []


def test_km619_batch_end_reads_marked_once_per_hook():
    code = """
        from keras.callbacks import Callback


        class LossHistory(Callback):
            def on_train_begin(self, logs={}):
                self.losses = []

            def on_batch_end(self, batch, logs={}):
                self.losses.append(logs.get('loss'))
                self.accs.append(logs['acc'])
        """
    output = assert_flags(code, "KM619")
    assert "self.losses.append(logs.get('loss'))  # kmigrate: KM619 Keras 3 batch logs hold the epoch's running mean" in output
    assert _km619(code) == [10]


def test_km619_train_batch_alias_and_renamed_logs_parameter():
    code = """
        import keras


        class Watch(keras.callbacks.Callback):
            def on_train_batch_end(self, step, metrics=None):
                if metrics['loss'] > 10:
                    self.model.stop_training = True
        """
    assert _km619(code) == [7]


def test_km619_size_and_batch_keys_are_gone():
    code = """
        from keras.callbacks import Callback


        class Count(Callback):
            def on_batch_begin(self, batch, logs={}):
                self.seen += logs['size']
        """
    output = assert_flags(code, "KM619")
    assert "no 'batch' or 'size' keys" in output


def test_km619_lambda_callback_batch_hook():
    code = """
        from keras.callbacks import LambdaCallback

        losses = []
        record = LambdaCallback(on_batch_end=lambda batch, logs: losses.append(logs['loss']))
        quiet = LambdaCallback(on_epoch_end=lambda epoch, logs: losses.append(logs['loss']))
        """
    assert _km619(code) == [5]
