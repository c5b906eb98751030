# Namespace package shared with CKAN and the other ckanext-* distributions.
# See https://packaging.python.org/guides/packaging-namespace-packages
try:
    import pkg_resources

    pkg_resources.declare_namespace(__name__)
except ImportError:
    import pkgutil

    __path__ = pkgutil.extend_path(__path__, __name__)
