from setuptools import find_packages, setup

setup(
    name="keras-genai",
    version="0.1.0",
    description="Keras 3 reference implementations of generative models that train, measure and export.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    packages=find_packages(include=["keras_genai", "keras_genai.*"]),
    python_requires=">=3.10",
    install_requires=[
        "keras>=3.15",
        "tensorflow-datasets>=4.9.10",
        "importlib_resources",
        "ai-edge-litert>=2.0",
        "tensorboard",
        "pillow",
        "numpy",
    ],
    extras_require={
        # TensorFlow comes through one of these two (see README, "GPUs").
        "cpu": [
            "tensorflow-cpu==2.21.0; platform_system == 'Linux' or platform_system == 'Windows'",
            "tensorflow==2.21.0; platform_system == 'Darwin'",
        ],
        "gpu": ["tensorflow[and-cuda]==2.21.0"],
        "test": ["pytest>=8", "pytest-xdist>=3", "statsmodels>=0.14"],
        # statsmodels is the reference the AR model is checked against; scikit-learn's bundled
        # digits are tools/bench/own_data.py's image folder; matplotlib draws the tools' PNG plots.
        "bench": ["statsmodels>=0.14", "scikit-learn>=1.3", "matplotlib>=3.7"],
    },
    entry_points={"console_scripts": ["keras-genai=keras_genai.cli.main:main"]},
)
