"""One exception tree for the whole engine.

Every error a user can cause derives from :class:`CinemagraphError`. The CLI turns
each class into one line on stderr and the documented exit code ``exit_code``.
"""

from __future__ import annotations


class CinemagraphError(Exception):
    """Base class of every error the engine raises on purpose."""

    exit_code = 1


class InputError(CinemagraphError):
    """The input photo (or a mask) is missing, unreadable, corrupt or too large."""

    exit_code = 3


class RecipeError(CinemagraphError):
    """A recipe, option value, preset or prompt is invalid."""

    exit_code = 2


class OutputError(CinemagraphError):
    """The output path cannot be written (missing or unwritable directory, ...)."""

    exit_code = 4


class EncodeError(CinemagraphError):
    """The video or audio encoder failed."""

    exit_code = 5


class AudioError(CinemagraphError):
    """A sound could not be found, decoded or mixed."""

    exit_code = 6


class SafetyError(CinemagraphError):
    """A safety review refused the photo, the prompt or the video."""

    exit_code = 7


EXIT_CODES = {
    "ok": 0,
    "internal error": 1,
    "invalid option, recipe or prompt": RecipeError.exit_code,
    "bad input photo or mask": InputError.exit_code,
    "output not writable": OutputError.exit_code,
    "encoder failure": EncodeError.exit_code,
    "sound failure": AudioError.exit_code,
    "refused by safety review": SafetyError.exit_code,
    "interrupted": 130,
    "terminated": 143,
}
