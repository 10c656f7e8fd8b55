from django import template

register = template.Library()


@register.simple_tag
def paper_value(entry, option_id, choice) -> int:
    """A counter's saved figure for one option and mark (0 when nothing is saved yet)."""
    if entry is None:
        return 0
    return entry.totals.get(str(option_id), {}).get(choice, 0)


@register.filter
def get_item(mapping, key):
    return mapping.get(str(key), 0) if mapping else 0
