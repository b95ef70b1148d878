print("cwarchive")
