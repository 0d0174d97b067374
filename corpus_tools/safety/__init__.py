"""What keeps a run from destroying data: the output folder rule and lock (:mod:`.folders`,
:mod:`.lock`), signed spills (:mod:`.signing`), worker lifetime and SIGTERM (:mod:`.processes`)
and disk-full reporting (:mod:`.disk`). ``docs/safety.md`` states the rules for users."""
