# setuptools still needs setup.py for the legacy 'ckanext' namespace package;
# everything else is in pyproject.toml.
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["ckanext", "ckanext.*"]),
    namespace_packages=["ckanext"],
    include_package_data=True,
)
