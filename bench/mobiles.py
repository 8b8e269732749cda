"""Mobile numbers no contact of the benchmark workspace has yet (for creates and imports)."""

from __future__ import annotations

import random


def unused_mobiles(rng: random.Random, count: int, slug: str, *, prefix: str) -> list[str]:
    """`count` mobiles `prefix` + 8 random digits that no contact of the workspace has: at
    1,000,000 contacts a few random ones are taken, and a taken one fails a create (400) or
    rejects a whole create-mode import file."""
    from guanxi.contacts.models import Contact
    from guanxi.core.fields import blind_index_of
    from guanxi.core.pii import mobile_index_form

    numbers = [f"{prefix}{n:08d}" for n in rng.sample(range(10**8), count + 100)]
    index = {blind_index_of(number, mobile_index_form): number for number in numbers}
    taken = set(
        Contact.objects.filter(workspace__slug=slug, mobile_index__in=list(index)).values_list(
            "mobile_index", flat=True
        )
    )
    return [number for key, number in index.items() if key not in taken][:count]
