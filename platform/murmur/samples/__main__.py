from murmur.samples import write_samples

print(f"wrote {write_samples()}")
