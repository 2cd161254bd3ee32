"""Context that an app higher up the layers adds to a lower app's page, without an import.

The programme and collaborative pages show improvement measures, but ``programmes`` and
``collaboratives`` sit below ``measures`` and may not import it. The measures app registers
a provider for those models when it loads; their views call ``context_for`` while building
their context, so every query runs in the view, before the template renders.
"""

from collections import defaultdict
from collections.abc import Callable

_providers: dict[str, list[Callable[[object], dict]]] = defaultdict(list)


def provide(model_label: str, provider: Callable[[object], dict]) -> None:
    """Add ``provider(obj)``'s dict to the context of the page of each ``model_label`` item."""
    if provider not in _providers[model_label]:
        _providers[model_label].append(provider)


def context_for(obj) -> dict:
    context: dict = {}
    for provider in _providers.get(obj._meta.label, ()):
        context.update(provider(obj))
    return context
