"""What contributors run beside the build: adding, importing and reviewing records.

Nothing on the build path imports these modules; they use the build's own loader and
validator, so a record they write is checked exactly as a build checks it.
"""
