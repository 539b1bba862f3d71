"""`python -m audio_edition`: the same command line as `audio-edition`."""

from audio_edition.cli import main

main(prog_name="audio-edition")
