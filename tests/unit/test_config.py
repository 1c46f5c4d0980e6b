import pytest

from lrs_soap.config import Settings, SettingsError, from_environment


def test_defaults_are_the_embedded_sqlite_setup():
    settings = from_environment({})
    assert settings == Settings()
    assert settings.bind == "127.0.0.1:8000"


def test_environment_variables_are_read_and_typed():
    settings = from_environment({"LRS_DATABASE_URL": "postgresql+psycopg://x/y",
                                 "LRS_WORKERS": "4", "LRS_PUBLIC_URL": "https://lrs.example"})
    assert settings.workers == 4
    assert settings.public_url == "https://lrs.example"


def test_flags_override_the_environment_and_none_means_not_given():
    settings = from_environment({"LRS_WORKERS": "4"}).with_overrides(workers=None, bind="0.0.0.0:9")
    assert settings.workers == 4
    assert settings.bind == "0.0.0.0:9"


@pytest.mark.parametrize(("env", "message"), [
    ({"LRS_WORKERS": "many"}, "LRS_WORKERS must be a whole number"),
    ({"LRS_WORKERS": "0"}, "workers must be at least 1"),
    ({"LRS_PUBLIC_URL": "lrs.example"}, "public_url must start with"),
    ({"LRS_BIND": "8000"}, "bind must be host:port"),
    ({"LRS_LOG_LEVEL": "LOUD"}, "log_level must be"),
])
def test_bad_values_are_refused_with_the_variable_named(env, message):
    with pytest.raises(SettingsError, match=message):
        from_environment(env)
