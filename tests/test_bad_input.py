"""What a new user typed wrong, and the one-line errors they now get (issue 12, item 4)."""

import os

import pytest

from keras_genai.cli.main import main


def one_line_error(capsys, command):
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.startswith(f"keras-genai {command}: error:")]
    assert len(lines) == 1, err
    return lines[0]


def test_forecast_seasonal_difference_without_period(tmp_path, capsys):
    # With p chosen automatically (no --lags), this was a TypeError from the AIC search.
    series = tmp_path / "s.csv"
    series.write_text("v\n" + "\n".join(str(i % 7 + 0.1 * i) for i in range(80)), encoding="utf-8")
    assert main(["forecast", "ar", "--series", str(series), "--horizon", "3", "--seasonal-d", "1",
                 "--out", str(tmp_path / "f")]) == 2
    line = one_line_error(capsys, "forecast")
    assert "seasonal_d=1 needs the season length period >= 2 (CLI: --period)" in line, line
    assert not (tmp_path / "f").exists()


def test_ctrl_c_while_tensorflow_loads_is_one_line(tmp_path):
    # The CLI loaded TensorFlow at import, outside its KeyboardInterrupt handler.
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "keras_genai.cli.main", "train", "vae", "--preset", "tiny", "--dataset",
         "shapes", "--out", str(tmp_path / "run")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(1.5)  # TensorFlow takes seconds to load
    process.send_signal(signal.SIGINT)
    err = process.communicate(timeout=120)[1]
    assert process.returncode == 130 and "Traceback" not in err, err
    assert "keras-genai train: interrupted." in err, err


TINY = ["train", "vae", "--preset", "tiny", "--steps-per-epoch", "1", "--batch-size", "8",
        "--validation-split", "none", "--export", "none"]


def _image_folder(root, count=6, size=12):
    import os

    import numpy as np
    from PIL import Image

    os.makedirs(root)
    for i in range(count):
        Image.fromarray(np.full((size, size), 40 * i, np.uint8)).save(os.path.join(root, f"{i}.png"))
    return str(root)


def test_resume_refuses_changed_options_and_records_the_new_epochs(tmp_path, capsys):
    import json

    folder, out = _image_folder(tmp_path / "images"), str(tmp_path / "run")
    assert main(TINY + ["--image-folder", folder, "--image-size", "12", "--epochs", "1", "--out", out]) == 0
    config_path = tmp_path / "run" / "config.json"
    before = config_path.read_text()
    # These were silently ignored: the run went on with its first folder, at 12x12, gray.
    other = _image_folder(tmp_path / "other")
    assert main(TINY + ["--image-folder", other, "--image-size", "16", "--channels", "3", "--set", "beta=4",
                        "--epochs", "2", "--out", out, "--resume"]) == 2
    line = one_line_error(capsys, "train")
    for change in (f"image_folder (CLI: --image-folder) recorded {folder!r}, received {other!r}",
                   "image_size (CLI: --image-size) recorded 12, received 16",
                   "channels (CLI: --channels) recorded None, received 3",
                   "overrides (CLI: --set) recorded {}, received {'beta': 4}"):
        assert change in line, line
    assert main(TINY + ["--dataset", "mnist", "--out", out, "--resume"]) == 2
    assert "dataset (CLI: --dataset) recorded None, received 'mnist'" in one_line_error(capsys, "train")
    assert config_path.read_text() == before
    # The same options (or none of them) resume; config.json then says it trained 2 epochs.
    assert main(["train", "vae", "--epochs", "2", "--out", out, "--resume", "--export", "none"]) == 0
    assert json.loads(config_path.read_text())["training"]["epochs"] == 2
    assert [e["epoch"] for e in json.loads((tmp_path / "run" / "metrics.json").read_text())] == [1, 2]


@pytest.mark.parametrize("options, message", [
    (["--dataset", "fashion_mnist", "--channels", "3"],
     "channels (CLI: --channels) converts the images of an image folder or of domains; a named dataset "
     "(fashion_mnist) keeps its own size and channels. Received: channels=3"),
    (["--dataset", "shapes", "--image-size", "32"], "Received: image_size=32"),
    (["--dataset", "shapes", "--image-folder", "FOLDER"],
     "Pass either image_folder (CLI: --image-folder) or dataset (CLI: --dataset), not both."),
    (["--dataset", "shapes", "--vocabulary", "bytes"],
     "VAE is an image model: vocabulary (CLI: --vocabulary) is for text models. Received: vocabulary='bytes'"),
])
def test_train_options_that_do_not_apply_are_errors(options, message, tmp_path, capsys):
    options = [str(tmp_path) if option == "FOLDER" else option for option in options]
    assert main(TINY + options + ["--out", str(tmp_path / "run")]) == 2
    assert message in one_line_error(capsys, "train")
    assert not (tmp_path / "run").exists()


def test_text_models_refuse_image_options(tmp_path, capsys):
    assert main(["train", "gpt", "--preset", "tiny", "--channels", "3", "--out", str(tmp_path / "run")]) == 2
    assert "GPT is a text model: channels (CLI: --channels) is for image models" in one_line_error(capsys, "train")


def test_sample_refuses_text_options_for_an_image_model(tmp_path, capsys):
    from keras_genai.training.train import build_model

    path = str(tmp_path / "vae.keras")
    build_model("vae", "tiny", image_shape=(28, 28, 1)).save(path)
    grid = tmp_path / "grid.png"
    assert main(["sample", path, "--prompt", "ROMEO:", "--top-k", "5", "--out", str(grid)]) == 2
    line = one_line_error(capsys, "sample")
    assert "VAE generates images: --prompt, --top-k are for text models (e.g. gpt)" in line, line
    assert "Received: prompt='ROMEO:', top_k=5" in line and not grid.exists()


@pytest.mark.parametrize("dataset", ["fashion_mnist", "mnist"])
def test_a_misspelt_split_is_named_not_reported_as_missing_data(dataset, tmp_path):
    from keras_genai import data

    # It said the dataset was not available and suggested `apt-get install dataset-fashion-mnist`.
    with pytest.raises(ValueError, match=rf"Dataset '{dataset}' has splits 'train', 'test'. Received: split='tset'"):
        data.load_image_arrays(dataset, "tset", data_dir=str(tmp_path))
    with pytest.raises(data.DatasetNotAvailableError) as info:
        data.load_image_arrays(dataset, "test", data_dir=str(tmp_path))  # really missing: an empty folder
    assert ("dataset-fashion-mnist" in str(info.value)) == (dataset == "fashion_mnist")


def test_download_without_network_fails_fast(monkeypatch, tmp_path):
    import socket
    import time

    from keras_genai import data
    from keras_genai.data import download

    def no_answer(address, timeout):
        time.sleep(5)  # a network that never answers: tfds retried for minutes
        raise TimeoutError("timed out")  # long after the probe gave up

    monkeypatch.setattr(socket, "create_connection", no_answer)
    monkeypatch.setattr(download, "PROBE_SECONDS", 0.5)
    start = time.monotonic()
    with pytest.raises(data.DatasetNotAvailableError, match="is not reachable .no answer within 0.5 s., so this "
                                                             "machine seems to have no network"):
        data.load_image_arrays("kmnist", "train", data_dir=str(tmp_path), download=True)
    assert time.monotonic() - start < 10

    def unreachable(address, timeout):
        raise OSError("[Errno 101] Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", unreachable)
    with pytest.raises(data.DatasetNotAvailableError, match="Network is unreachable"):
        data.load_text("tiny_shakespeare", "train", data_dir=str(tmp_path / "tfds"), manual_dir=str(tmp_path),
                       download=True)


def test_nan_in_a_dataset_passed_to_fit_stops_before_it_reaches_the_weights():
    import numpy as np
    import tensorflow as tf

    from keras_genai.models import VAE
    from keras_genai.testing import tiny_images

    model = VAE(latent_dim=2, widths=[4, 8], seed=0)
    model.compile(**model.default_optimizers())
    images = tiny_images(8)[0]
    images[5, 2, 3, 0] = np.nan
    dataset = tf.data.Dataset.from_tensor_slices(images).batch(4)
    # It trained on, and every weight became NaN.
    with pytest.raises(ValueError, match="The training dataset holds NaN or infinite values"):
        model.fit(dataset, epochs=1, verbose=0)
    assert all(np.all(np.isfinite(w)) for w in model.get_weights())
    clean = tf.data.Dataset.from_tensor_slices(tiny_images(8)[0]).batch(4)
    with pytest.raises(ValueError, match="The validation dataset holds NaN"):
        model.fit(clean, validation_data=dataset, epochs=1, verbose=0)


def test_image_metrics_refuse_values_outside_their_range():
    import numpy as np

    from keras_genai.metrics import domain_frechet_distance, psnr

    rng = np.random.default_rng(0)
    images = rng.uniform(0, 1, (4, 28, 28, 1)).astype("float32")
    # A [0, 1] image against its [0, 255] self gave -40 dB.
    with pytest.raises(ValueError, match=r"references must be finite and in \[0, 1.0\] .* values in \[0.*, 25\d"):
        psnr(images, images * 255)
    assert float(psnr(images * 254, images * 254 + 1, max_value=255.0)[0]) == pytest.approx(48.13, abs=0.01)

    class Classifier:  # never reached: the range is checked first
        def features(self, x, batch_size):
            raise AssertionError("features of out-of-range images")

    with pytest.raises(ValueError, match=r"images must be finite and in \[0, 1.0\].*divide uint8 values by 255"):
        domain_frechet_distance(images * 255, images, Classifier())


def test_int8_export_without_images_warns_that_it_calibrates_on_noise(tmp_path):
    import warnings

    from keras_genai.data import DataWarning
    from keras_genai.export import export_litert
    from keras_genai.testing import tiny_images
    from keras_genai.training.train import build_model

    model = build_model("vae", "tiny", image_shape=(28, 28, 1))
    with pytest.warns(DataWarning, match="int8 'encode' of VAE: no images given, so its activations are "
                                         "calibrated on uniform noise"):
        noise = export_litert(model, str(tmp_path / "noise"), ("int8",), endpoints=["encode"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)  # real images: no warning
        real = export_litert(model, str(tmp_path / "real"), ("int8",), data=tiny_images(16)[0], endpoints=["encode"])
    # Both still export (the warning informs, it does not refuse).
    assert all(os.path.getsize(path) > 0 for path in [*noise.values(), *real.values()])
