"""The issue codes of the UN roll calls in Erik Voeten's General Assembly voting data.

A roll call may carry several issues or none. The codes and names are those of the
``un_roll_call_issues`` table of the ``unvotes`` R package (``short_name``, ``issue``)
and of the flag columns of Voeten's raw release.
"""

from __future__ import annotations

UN_ISSUES: dict[str, str] = {
    "me": "Palestinian conflict",
    "nu": "Nuclear weapons and nuclear material",
    "di": "Arms control and disarmament",
    "hr": "Human rights",
    "co": "Colonialism",
    "ec": "Economic development",
}


def un_issue_codes(text: str | list[str] | tuple[str, ...]) -> list[str]:
    """Issue codes from ``"hr"``, ``"me,hr"`` or a list, lower-cased, each once, in the
    order given; ValueError naming the known codes for any other."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    codes = list(dict.fromkeys(part.strip().lower() for part in parts if part.strip()))
    unknown = [code for code in codes if code not in UN_ISSUES]
    if unknown or not codes:
        known = ", ".join(f"{code} ({name})" for code, name in UN_ISSUES.items())
        what = f"unknown UN issue {', '.join(map(repr, unknown))}" if unknown else "no UN issue"
        raise ValueError(f"{what}; the issues are {known}")
    return codes


def issue_names(codes: list[str] | tuple[str, ...]) -> str:
    """``["hr", "co"]`` -> ``"human rights, colonialism"``, for titles."""
    return ", ".join(UN_ISSUES[code][0].lower() + UN_ISSUES[code][1:] for code in codes)
