"""`ConditionalSAGAN` presets (constructor kwargs) and its training budget: SAGAN's, with labels."""

from keras_genai.models.gan.sagan_presets import model_presets as _sagan

_presets = _sagan["sagan"]["presets"]
model_presets = {
    "csagan": {
        "presets": {"cpu": _presets["cpu"], "paper": {**_presets["paper"], "num_classes": 10},
                    "tiny": {**_presets["tiny"], "num_classes": 4}},
        "fit": _sagan["sagan"]["fit"],
    },
}
