// One local host, one Azurite and one chromium for the whole run on two shared cores: scenarios run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
