from luoshi.cli import main

# guarded: spawned worker processes (the corpus pool, Dask) import the main module again
if __name__ == "__main__":
    main()
