"""Command-line mistakes said in one line, in the user's words, with where to read the usage."""

from __future__ import annotations

# Typer vendors click (0.29 on): its parser's errors are these, not click's own.
from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption, UsageError


def one_line(text: str) -> str:
    """Join a message's lines into one."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _hint(error: BadParameter) -> str:
    """Name the parameter as typed: --period for an option, FILE for an argument."""
    if isinstance(error.param_hint, str):
        return error.param_hint
    if error.param is None:
        return "a parameter"
    hint = error.param.get_error_hint().replace("'", "")
    return hint.upper() if error.param.param_type_name == "argument" else hint


def _words(message: str) -> str:
    """A sentence of the parser as a clause: "No such command 'x'." -> "no such command 'x'"."""
    message = one_line(message).rstrip(".")
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


def usage_error_line(error: UsageError) -> str:
    """Say a command-line mistake in one line, with where to read the right usage."""
    path = error.ctx.command_path if error.ctx else "ppne"
    if isinstance(error, NoSuchOption):
        guess = (
            f" (did you mean {' or '.join(error.possibilities)}?)" if error.possibilities else ""
        )
        return f"no such option {error.option_name}{guess} ({path} --help lists them)"
    if isinstance(error, MissingParameter):
        kind = error.param_type or (error.param.param_type_name if error.param else "parameter")
        return f"missing {kind} {_hint(error)} ({path} --help)"
    if isinstance(error, BadParameter):
        return f"invalid value for {_hint(error)}: {_words(error.message)} ({path} --help)"
    if error.message.startswith("No such command"):
        # Typer appends its guesses as a second sentence: ". Did you mean 'a', 'b'?"
        unknown, _, guesses = error.message.partition(". Did you mean ")
        names = [name.strip(" '?") for name in guesses.split(",") if name.strip(" '?")]
        guess = f" (did you mean {' or '.join(names)}?)" if names else ""
        return f"{_words(unknown)}{guess} ({path} --help lists them)"
    return f"{_words(error.message)} ({path} --help)"
