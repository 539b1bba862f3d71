"""The assemble stage: rendered sentences into one MP3 with its captions, chapters, tags and cover.

mp3 (mastering, LAME, the sample-exact writer), loudness (the meter and
limiter), timeline (cue and chapter times), captions (WebVTT, SRT, chapters
JSON, transcript), tags (ID3v2.3 with chapters), cover (the episode's art).
"""
